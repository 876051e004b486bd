"""Word lists for synthetic demo people and places. Nothing here names a real person."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋锋建国志文海峰德亮成庆祥永春"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲桂英秀兰萍红梅莉婷雪琳晶颖慧佳倩琴云洁玉珍凤香月莹欣怡悦"

# Real area codes (GB/T 2260) so that the numbers validate; the home county is listed first.
HOME_AREA = "430522"
OTHER_AREAS = ("430521", "510722", "510723", "360426", "411521", "341221", "510781", "110105")

VILLAGE_STEMS = (
    "东山",
    "西河",
    "南岭",
    "北坪",
    "青石",
    "白沙",
    "红旗",
    "金塘",
    "长冲",
    "桃源",
    "杨柳",
    "石桥",
    "龙潭",
    "新田",
    "大坪",
    "荷塘",
    "松林",
    "枫树",
    "竹山",
    "梅溪",
    "高峰",
    "黄泥",
    "花园",
    "和平",
    "光明",
    "建设",
    "团结",
    "胜利",
    "永丰",
    "太平",
)
GROUP_NUMERALS = "一二三四五六七八九十"
WORK_AWAY_PLACES = (
    "广东省东莞市",
    "广东省深圳市",
    "浙江省义乌市",
    "浙江省宁波市",
    "福建省晋江市",
    "江苏省苏州市",
    "上海市",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "186",
    "187",
    "188",
    "189",
    "191",
    "199",
)
DECISION_STATIONS = ("城关派出所", "镇派出所", "新城派出所", "河东派出所")


def group_name(n: int) -> str:
    """1 → 一组, 10 → 十组, 12 → 十二组."""
    if n <= 10:
        return GROUP_NUMERALS[n - 1] + "组"
    tens, ones = divmod(n, 10)
    prefix = ("" if tens == 1 else GROUP_NUMERALS[tens - 1]) + "十"
    return prefix + (GROUP_NUMERALS[ones - 1] if ones else "") + "组"
